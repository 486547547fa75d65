-- The UI language (issue 18): a learner's own choice, and a chat's (a group admin's choice for
-- the group's messages). NULL = not chosen: the platform's locale, else English, applies.
ALTER TABLE users ADD COLUMN lang TEXT CHECK (lang IN ('english', 'hinglish'));
ALTER TABLE chats ADD COLUMN lang TEXT CHECK (lang IN ('english', 'hinglish'));
