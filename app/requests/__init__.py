"""Upload requests: a folder's owner asks anyone holding a link to send files into it, without
an account; what arrives counts against the owner's quota and lands in the folder."""
