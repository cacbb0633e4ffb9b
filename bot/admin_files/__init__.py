"""Loading a plan by sending it: an admin sends a file in chat, sees its dry run, and presses Import or Cancel.

:mod:`~bot.admin_files.incoming` checks what arrives (name, size, type, the review title the message gives);
:mod:`~bot.admin_files.service` decides who may import (before anything is downloaded), runs the dry run,
keeps the file (:mod:`store.pending_files`) and imports it once; :mod:`~bot.admin_files.summary` words the
answers. The adapters only download the file and show the answers.
"""
