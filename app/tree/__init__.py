"""The folder tree: folder items and where every file and folder sits (below files and folders).

The files domain asks it "may this user read what sits in this folder?"; the folders domain
(`app.folders`) builds its rules and routes on it.
"""
