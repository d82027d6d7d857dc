//! The error that ends a command: what went wrong, what to do, and the exit code.

use std::io;

use crate::report::Exit;

/// An error that ends the command: a message, hints for the user, and the exit code.
#[derive(Debug)]
pub struct Fatal {
    pub message: String,
    pub hints: Vec<String>,
    pub exit: Exit,
    /// The kind of the error writing the output, when that is what failed: a closed
    /// pipe is told apart by its kind, as the message differs between systems and
    /// languages (Windows says "The pipe is being closed").
    pub output_error: Option<io::ErrorKind>,
}

impl Fatal {
    pub fn usage(message: impl Into<String>) -> Fatal {
        Fatal {
            message: message.into(),
            hints: Vec::new(),
            exit: Exit::Usage,
            output_error: None,
        }
    }

    pub fn failure(message: impl Into<String>) -> Fatal {
        Fatal {
            message: message.into(),
            hints: Vec::new(),
            exit: Exit::Failure,
            output_error: None,
        }
    }

    /// Writing the report or a diagnostic failed.
    pub fn output(error: io::Error) -> Fatal {
        Fatal {
            output_error: Some(error.kind()),
            ..Fatal::failure(crate::i18n::ta(
                "error-output",
                &[("reason", &error.to_string())],
            ))
        }
    }

    /// The reader of the output went away (`loginfix ... | head`): that is the reader's
    /// choice, not a failure, and there is nobody left to tell.
    pub fn is_broken_pipe(&self) -> bool {
        self.output_error == Some(io::ErrorKind::BrokenPipe)
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Fatal {
        self.hints.push(hint.into());
        self
    }
}
