//! Daily pushes, schedules and timezones.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScheduleMsg {
    BadSchedule(String),
    ScheduleTooOften,
    // Settings.
    Subscribed { at: String, timezone: String },
    Scheduled { expr: String, timezone: String },
    NextPush { when: Option<String> },
    DailyTopic,
    ReviewPush,
    Unsubscribed,
    NotSubscribed,
    TimezoneSet { timezone: String },
}

impl fmt::Display for ScheduleMsg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ScheduleMsg::*;
        match self {
            BadSchedule(s) => write!(
                f,
                "\"{s}\" is not a schedule. Use a cron line like \"30 8 * * 1-5\" (08:30 on weekdays) \
                 or /subscribe HH:MM for every day."
            ),
            ScheduleTooOften => write!(
                f,
                "That schedule fires too often; at most one push an hour."
            ),
            Subscribed { at, timezone } => {
                write!(
                    f,
                    "Subscribed: this chat gets the next topic every day at {at} ({timezone})."
                )
            }
            Scheduled { expr, timezone } => {
                write!(
                    f,
                    "Scheduled: this chat gets the next topic on the schedule {expr} ({timezone})."
                )
            }
            NextPush { when: Some(w) } => write!(f, "Next push: {w}"),
            NextPush { when: None } => write!(f, "That schedule never fires again."),
            DailyTopic => write!(f, "Today's topic"),
            ReviewPush => write!(
                f,
                "You have worked through the whole curriculum. Daily pushes now bring a review \
                 question from the topics you covered."
            ),
            Unsubscribed => write!(f, "Unsubscribed: no more daily topics here."),
            NotSubscribed => write!(f, "This chat is not subscribed."),
            TimezoneSet { timezone } => write!(f, "Timezone set to {timezone}."),
        }
    }
}
