-- /forget deletes the learner's private chat with the learner, also when it is asked from a group
-- (a Discord DM channel's id is not the user's id): each private chat records whose it is.
ALTER TABLE chats ADD COLUMN private_of INTEGER REFERENCES users (id) ON DELETE SET NULL;

-- Existing private chats: a Telegram or console private chat has its user's id; any other
-- (a Discord DM) belongs to whoever asked or answered quizzes there.
UPDATE chats SET private_of = (
    SELECT u.id FROM users u WHERE u.platform = chats.platform AND u.external_id = chats.external_id
) WHERE kind = 'private';
UPDATE chats SET private_of = COALESCE(
    (SELECT q.asked_by FROM quizzes q WHERE q.chat_id = chats.id AND q.asked_by IS NOT NULL LIMIT 1),
    (SELECT a.user_id FROM answers a JOIN quizzes q ON q.id = a.quiz_id WHERE q.chat_id = chats.id
     LIMIT 1)
) WHERE kind = 'private' AND private_of IS NULL;
CREATE INDEX chats_private_of ON chats (private_of) WHERE private_of IS NOT NULL;
