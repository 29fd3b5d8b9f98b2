/* listview.c: to be written. */
