"""One module per group of workbook sheets: how each sheet's rows are read and checked."""
