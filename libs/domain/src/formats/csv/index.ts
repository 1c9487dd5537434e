export { importCsv, CSV_MAX_ISSUES, CSV_MAX_ROWS, CSV_MAX_VALUE_LENGTH, type ImportCsvOptions } from './import-csv';
export { CSV_COLUMNS, CSV_TYPE_NAMES, csvColumn, csvIndicatorType, type CsvColumn } from './csv-columns';
