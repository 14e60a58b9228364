HIDDEN-SECRET-dotfile-in-a-subfolder
