/* formview.c: to be written. */
