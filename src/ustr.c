/* ustr.c: to be written. */
