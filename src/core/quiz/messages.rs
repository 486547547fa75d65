//! Quizzes: the question, the answer's verdict, and what stops an answer.

use crate::core::messages::lang::localized;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(strum::EnumCount))]
pub enum QuizMsg {
    // Quizzes.
    QuizIntro {
        topic: String,
    },
    AnswerHint,
    NoQuestions {
        topic: String,
    },
    NoQuizYet,
    AlreadyAnswered {
        letter: char,
    },
    /// How many have answered a quiz, shown under the question where the platform allows edits.
    QuizAnswered {
        count: i64,
    },
    Correct {
        xp: i64,
    },
    Wrong {
        letter: char,
        option: String,
    },
    ExplanationLine(String),
}

localized!(QuizMsg);

impl QuizMsg {
    fn english(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use QuizMsg::*;
        match self {
            QuizIntro { topic } => write!(f, "Quiz · {topic}"),
            AnswerHint => write!(f, "Answer with /answer A (or just A) through D."),
            NoQuestions { topic } => write!(
                f,
                "\"{topic}\" has no quiz questions yet (it is still an outline)."
            ),
            NoQuizYet => write!(
                f,
                "There is no quiz to answer here yet. Send /quiz to get one."
            ),
            AlreadyAnswered { letter } => {
                write!(
                    f,
                    "You already answered this one ({letter}). Send /quiz for another question."
                )
            }
            QuizAnswered { count: 0 } => write!(
                f,
                "No answers yet. Pick a letter; only you see whether you were right."
            ),
            QuizAnswered { count: 1 } => write!(f, "1 person has answered."),
            QuizAnswered { count } => write!(f, "{count} people have answered."),
            Correct { xp } => write!(f, "Correct! +{xp} XP"),
            Wrong { letter, option } => write!(f, "Not quite. The answer is {letter}: {option}"),
            ExplanationLine(e) => write!(f, "{e}"),
        }
    }

    fn hinglish(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use QuizMsg::*;
        match self {
            QuizIntro { topic } => write!(f, "Quiz · {topic}"),
            AnswerHint => write!(f, "Jawab do: /answer A (ya sirf A), A se D tak."),
            NoQuestions { topic } => write!(
                f,
                "\"{topic}\" ke quiz questions abhi nahi hain (ye abhi outline hi hai)."
            ),
            NoQuizYet => write!(
                f,
                "Yahan abhi koi quiz nahi hai jiska jawab do. Naya lene ke liye /quiz bhejo."
            ),
            AlreadyAnswered { letter } => write!(
                f,
                "Iska jawab tum pehle hi de chuke ho ({letter}). Agle sawaal ke liye /quiz bhejo."
            ),
            QuizAnswered { count: 0 } => write!(
                f,
                "Abhi tak koi jawab nahi. Ek letter chuno; sahi hai ya galat, ye sirf tumhe dikhega."
            ),
            QuizAnswered { count: 1 } => write!(f, "1 insaan ne jawab diya hai."),
            QuizAnswered { count } => write!(f, "{count} logon ne jawab diya hai."),
            Correct { xp } => write!(f, "Sahi jawab! +{xp} XP"),
            Wrong { letter, option } => {
                write!(f, "Thoda chook gaye. Sahi jawab hai {letter}: {option}")
            }
            ExplanationLine(e) => write!(f, "{e}"),
        }
    }
}
