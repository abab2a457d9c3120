"""Writing the next message: the text box and the attachments waiting to go with it."""
