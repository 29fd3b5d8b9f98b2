/* io_text.c: to be written. */
