"""The programme workbook: the import/export contract of docs/workbook.md."""
