//! Daily pushes, schedules and timezones.

use crate::core::messages::lang::localized;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(strum::EnumCount))]
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

localized!(ScheduleMsg);

impl ScheduleMsg {
    fn english(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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

    fn hinglish(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ScheduleMsg::*;
        match self {
            BadSchedule(s) => write!(
                f,
                "\"{s}\" schedule nahi hai. \"30 8 * * 1-5\" jaisi cron line likho (weekdays pe \
                 08:30) ya roz ke liye /subscribe HH:MM."
            ),
            ScheduleTooOften => write!(
                f,
                "Ye schedule bahut jaldi-jaldi chalta hai; ek ghante mein zyada se zyada ek push."
            ),
            Subscribed { at, timezone } => write!(
                f,
                "Subscribed: is chat ko roz {at} ({timezone}) pe agla topic milega."
            ),
            Scheduled { expr, timezone } => write!(
                f,
                "Scheduled: is chat ko schedule {expr} ({timezone}) pe agla topic milega."
            ),
            NextPush { when: Some(w) } => write!(f, "Agla push: {w}"),
            NextPush { when: None } => write!(f, "Ye schedule ab kabhi nahi chalega."),
            DailyTopic => write!(f, "Aaj ka topic"),
            ReviewPush => write!(
                f,
                "Tumne poora curriculum kar liya hai. Ab daily push mein tumhare padhe hue topics \
                 se ek review question aayega."
            ),
            Unsubscribed => write!(f, "Unsubscribed: yahan ab daily topics nahi aayenge."),
            NotSubscribed => write!(f, "Ye chat subscribed nahi hai."),
            TimezoneSet { timezone } => write!(f, "Timezone ab {timezone} hai."),
        }
    }
}
