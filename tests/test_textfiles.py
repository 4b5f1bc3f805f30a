"""CSV files are read as people save them: UTF-8 with or without BOM, UTF-16, Windows-1252."""

import codecs
from pathlib import Path

import pytest

from ancrage.core.textfiles import TextFileError, decode_text, sniff_delimiter

DATA = Path(__file__).parent / "data"
FRENCH = "id;nom\nS1;École « Les Écureuils » – accueil\n"


@pytest.mark.parametrize(
    "data",
    [
        FRENCH.encode("utf-8"),
        codecs.BOM_UTF8 + FRENCH.encode("utf-8"),
        FRENCH.encode("utf-16"),  # Excel's « Texte Unicode » carries a BOM
        FRENCH.encode("cp1252"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16", "cp1252"],
)
def test_it_decodes_the_encodings_office_suites_write(data):
    assert decode_text(data, name="structures.csv") == FRENCH


def test_it_decodes_latin1_accents():
    text = "nom\nÉcole Saint-Exupéry, garçons et filles\n"
    assert decode_text(text.encode("latin-1"), name="x.csv") == text


def test_it_decodes_the_french_excel_semicolon_csv_kept_in_tests_data():
    data = (DATA / "workbook_excel_cp1252" / "actions.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the file really is Windows-1252
    text = decode_text(data, name="actions.csv")
    assert "Formation CPS – module « émotions »" in text
    assert sniff_delimiter(text) == ";"


def test_it_refuses_a_binary_file_naming_it():
    with pytest.raises(TextFileError) as refused:
        decode_text(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xe9\xff\x00", name="a.csv")
    assert str(refused.value).startswith("a.csv : encodage du fichier non reconnu")
    assert "CSV UTF-8" in str(refused.value)


def test_it_refuses_a_broken_utf8_file_that_announces_utf8():
    with pytest.raises(TextFileError, match=r"b\.csv"):
        decode_text(codecs.BOM_UTF8 + "é".encode("cp1252"), name="b.csv")


@pytest.mark.parametrize(
    ("header", "delimiter"),
    [("a;b;c", ";"), ("a,b,c", ","), ("a\tb\tc", "\t"), ('"x;y",b,c', ","), ("seul", ",")],
)
def test_it_sniffs_the_delimiter_of_the_header_line(header, delimiter):
    assert sniff_delimiter(header + "\n1;2,3\n") == delimiter
