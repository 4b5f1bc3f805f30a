"""The demo programme (the seed deck's programme) as data: its workbook rows, its answers as the
collection tools export them, its evaluation records; loaded by `ancrage demo`."""
