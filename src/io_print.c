/* io_print.c: to be written. */
