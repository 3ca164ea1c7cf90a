"""Line splitting, blank lines, and the labelled-page format (shared/LABELS.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleanews.data.labelled import LabelledFormatError, format_labelled, parse_labelled, read_labelled
from cleanews.text.lines import is_blank, normalise, split_lines

from .conftest import SEEDS, TRAINING


@pytest.mark.parametrize("text", ["a\nb\n", "a\r\nb\r\n", "a\rb\r", "a\nb", "", "\n\n", "x\r\ny\nz", "只有一行"])
def test_split_keeps_every_character(text: str) -> None:
    assert "".join(line.text + line.end for line in split_lines(text)) == text


def test_crlf_page_keeps_its_line_count() -> None:
    page = "标题\r\n\r\n正文第一段。\r\n正文第二段。\r\n"
    lines = split_lines(page)
    assert len(lines) == 4
    assert [line.end for line in lines] == ["\r\n"] * 4
    assert lines[2].text == "正文第一段。"


def test_old_mac_line_ends() -> None:
    assert [line.text for line in split_lines("一\r二\r三")] == ["一", "二", "三"]


@pytest.mark.parametrize("text", ["", "   ", "\u3000\u3000", "\u200b", "\ufeff", " \t\xa0", "\x00"])
def test_blank_lines(text: str) -> None:
    assert is_blank(text)


@pytest.mark.parametrize("text", ["a", " 。", "•", "-", "\u3000正文"])
def test_visible_lines(text: str) -> None:
    assert not is_blank(text)


def test_normalise_folds_width_and_spaces_but_not_the_original() -> None:
    raw = "ＡＢＣ１２３\u3000，正文\xa0\xa0end"
    assert normalise(raw) == "ABC123 ,正文 end"
    assert raw == "ＡＢＣ１２３\u3000，正文\xa0\xa0end"


def test_labelled_round_trip_lf_and_crlf() -> None:
    for end in ("\n", "\r\n"):
        content = f"title\t标题{end}-\t{end}body\t正文。{end}-\t\u3000{end}chrome\t版权所有"
        page = parse_labelled(content)
        assert page.labels == ("title", None, "body", None, "chrome")
        assert page.text == f"标题{end}{end}正文。{end}\u3000{end}版权所有"
        assert format_labelled(page.lines, page.labels) == content


@pytest.mark.parametrize(
    ("content", "line", "words"),
    [
        ("body\tok\nbodytext without tab\n", 2, "no tab"),
        ("body\tok\nnews\t正文\n", 2, "unknown label"),
        ("body\t   \n", 1, "blank line"),
        ("-\t正文\n", 1, "has text"),
    ],
)
def test_malformed_labelled_pages_name_line_and_fault(tmp_path: Path, content: str, line: int, words: str) -> None:
    f = tmp_path / "bad.tsv"
    f.write_text(content, encoding="utf-8")
    with pytest.raises(LabelledFormatError) as err:
        read_labelled(f)
    assert err.value.line == line
    assert str(f) in str(err.value) and words in str(err.value)


def test_labelled_file_that_is_not_utf8(tmp_path: Path) -> None:
    f = tmp_path / "gbk.tsv"
    f.write_bytes("body\t正文\n".encode("gbk"))
    with pytest.raises(LabelledFormatError, match="not UTF-8"):
        read_labelled(f)


def test_every_training_page_is_valid_and_round_trips() -> None:
    files = sorted(TRAINING.glob("*.tsv"))
    assert files, "training_data/ holds no labelled pages"
    for f in files:
        page = read_labelled(f)
        assert format_labelled(page.lines, page.labels, page.spans).encode("utf-8") == f.read_bytes(), f


def test_seed_labels_give_the_seeds_back_byte_for_byte(seed_texts: dict[str, str]) -> None:
    for name in seed_texts:
        page = read_labelled(TRAINING / name.replace(".txt", ".tsv"))
        assert page.text.encode("utf-8") == (TRAINING.parent / "seeds" / name).read_bytes()


def test_normalising_a_page_at_once_equals_line_by_line() -> None:
    from cleanews.text.lines import normalise, normalise_many

    texts = [
        "　　全角　空格 和\u00a0不换行",
        "ｆｕｌｌ－ｗｉｄｔｈ １２３",
        "\u0301开头的组合符",
        "零\u200b宽\ufeff字符",
        "tab\tand  spaces  ",
        "\x85\u2028 separators",
        "",
        "e\u0301",
    ]
    for path in sorted(SEEDS.glob("*.txt")):
        texts += [line.text for line in split_lines(path.read_text(encoding="utf-8"))]
    assert normalise_many(texts) == [normalise(t) for t in texts]


def test_fast_nfkc_equals_unicodedata_on_every_full_width_form_and_odd_text() -> None:
    import unicodedata

    from cleanews.text.lines import nfkc_lines

    every_form = "".join(chr(c) for c in range(0xFF00, 0xFFF0)) + "\u3000"
    texts = [
        every_form,
        "Ａ\u0301 全角字母加组合符\n第二行…①㈠ｶﾞ\n\n纯中文，无须改动。",
        "ascii only\nline two",
        "",
    ]
    for text in texts:
        assert nfkc_lines(text) == unicodedata.normalize("NFKC", text)
    assert nfkc_lines("\ud800 孤立代理项 ，") == "\ufffd 孤立代理项 ,"


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
@settings(max_examples=300, deadline=None)
def test_fast_nfkc_equals_unicodedata_on_random_text(text: str) -> None:
    import unicodedata

    from cleanews.text.lines import nfkc_lines

    assert nfkc_lines(text) == unicodedata.normalize("NFKC", text)
