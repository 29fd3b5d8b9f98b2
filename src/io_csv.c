/* io_csv.c: to be written. */
