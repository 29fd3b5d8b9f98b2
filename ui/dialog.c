/* dialog.c: to be written. */
