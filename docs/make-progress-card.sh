#!/usr/bin/env bash
# Makes docs/progress-card.png with the bot's own console adapter: a learner ("Ada") studies on
# most days of 20 weeks, 1 to 6 questions a day from the sections in curriculum order, answering
# about three in four right; then `/progress card` draws the card. Every answer goes through
# the console like a person's (the clock set with STUDYBOT_NOW); the script only looks up the
# right letter in content/ (python3's tomllib) so that the learner is a plausible one.
#
#   bash docs/make-progress-card.sh            # writes docs/progress-card.png
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build -q --bin studybot
bin=./target/debug/studybot
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export DATABASE_URL="sqlite://$work/demo.db" EXPORT_DIR="$work" RUST_LOG=warn USER=Ada
export CONTENT_DIR=content DEFAULT_TIMEZONE=UTC
unset TELEGRAM_BOT_TOKEN DISCORD_TOKEN

# The letter of the right answer to the question whose prompt is on stdin's last quiz.
right_letter() {
  python3 -c '
import sys, tomllib, pathlib
out = sys.stdin.read().splitlines()
prompts = {}
for f in pathlib.Path("content").glob("*.toml"):
    for t in tomllib.loads(f.read_text()).get("topics", []):
        for q in t.get("questions", []):
            prompts[q["prompt"]] = "ABCD"[q["answer"]]
for line in reversed(out):
    if line.strip() in prompts:
        print(prompts[line.strip()]); break
'
}

start=2025-10-13 # a Monday; the card's last day is 140 days later
for i in $(seq 0 139); do
  answers=$(( (i * 5 + i / 7) % 7 ))          # 0 to 6 questions that day
  (( i % 11 == 3 || i % 17 == 9 )) && answers=0 # and some days off
  (( answers == 0 )) && continue
  day=$(date -u -d "$start + $i days" +%F)
  section=$(( i / 8 ))                          # about a section a week
  for k in $(seq 1 "$answers"); do
    now="${day}T$(printf '%02d' $(( 7 + k * 2 ))):15:00Z"
    quiz=$(printf '/quiz %s\n' "$section" | STUDYBOT_NOW=$now "$bin" console)
    letter=$(right_letter <<<"$quiz")
    if (( (i + k) % 4 == 0 )); then             # one in four answered wrong
      letter=$(tr 'ABCD' 'BCDA' <<<"$letter")
    fi
    printf '%s\n' "$letter" | STUDYBOT_NOW=$now "$bin" console >/dev/null
  done
done
printf '/progress card\n' | STUDYBOT_NOW="$(date -u -d "$start + 139 days" +%F)T20:00:00Z" "$bin" console
cp "$work"/progress-*.png docs/progress-card.png
echo "wrote docs/progress-card.png"
