// The CSV format of the app's exports: the one rule of src-shared/csv.ts (also the open-data files').
export { csvHead, csvRows, toCsv, type CsvColumn } from '../../src-shared/csv';
