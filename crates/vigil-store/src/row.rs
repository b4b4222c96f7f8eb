//! Reading typed values out of rows; a value that does not parse is `StoreError::Corrupt`.

use crate::StoreError;
use sqlx::any::AnyRow;
use sqlx::Row;
use vigil_types::Timestamp;

/// A row that can be read by column name: sqlx's `AnyRow`, or a row copied out of rusqlite.
pub(crate) trait RowSource: Send + Sync {
    fn text(&self, column: &str) -> Result<Option<String>, ()>;
    fn int(&self, column: &str) -> Result<Option<i64>, ()>;
    fn bytes(&self, column: &str) -> Result<Option<Vec<u8>>, ()>;
}

impl RowSource for AnyRow {
    fn text(&self, column: &str) -> Result<Option<String>, ()> {
        self.try_get::<Option<String>, _>(column).map_err(|_| ())
    }

    fn int(&self, column: &str) -> Result<Option<i64>, ()> {
        self.try_get::<Option<i64>, _>(column).map_err(|_| ())
    }

    fn bytes(&self, column: &str) -> Result<Option<Vec<u8>>, ()> {
        self.try_get::<Option<Vec<u8>>, _>(column).map_err(|_| ())
    }
}

pub(crate) struct Cols<'r> {
    pub row: &'r dyn RowSource,
    pub table: &'static str,
}

impl<'r> Cols<'r> {
    pub fn new(row: &'r dyn RowSource, table: &'static str) -> Self {
        Self { row, table }
    }

    fn corrupt(&self, column: &'static str) -> StoreError {
        StoreError::Corrupt {
            table: self.table,
            column,
        }
    }

    pub fn string(&self, c: &'static str) -> Result<String, StoreError> {
        self.opt_string(c)?.ok_or_else(|| self.corrupt(c))
    }

    pub fn opt_string(&self, c: &'static str) -> Result<Option<String>, StoreError> {
        self.row.text(c).map_err(|()| self.corrupt(c))
    }

    pub fn int(&self, c: &'static str) -> Result<i64, StoreError> {
        self.opt_int(c)?.ok_or_else(|| self.corrupt(c))
    }

    pub fn opt_int(&self, c: &'static str) -> Result<Option<i64>, StoreError> {
        self.row.int(c).map_err(|()| self.corrupt(c))
    }

    pub fn flag(&self, c: &'static str) -> Result<bool, StoreError> {
        Ok(self.int(c)? != 0)
    }

    pub fn time(&self, c: &'static str) -> Result<Timestamp, StoreError> {
        self.int(c).map(Timestamp::from_unix_micros)
    }

    pub fn opt_time(&self, c: &'static str) -> Result<Option<Timestamp>, StoreError> {
        Ok(self.opt_int(c)?.map(Timestamp::from_unix_micros))
    }

    pub fn bytes(&self, c: &'static str) -> Result<Vec<u8>, StoreError> {
        self.row
            .bytes(c)
            .map_err(|()| self.corrupt(c))?
            .ok_or_else(|| self.corrupt(c))
    }

    /// Parses a column with `parse` (ids, enums, validated values).
    pub fn parsed<T, E>(
        &self,
        c: &'static str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Result<T, StoreError> {
        let s = self.string(c)?;
        parse(&s).map_err(|_| self.corrupt(c))
    }

    pub fn opt_parsed<T, E>(
        &self,
        c: &'static str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Result<Option<T>, StoreError> {
        match self.opt_string(c)? {
            None => Ok(None),
            Some(s) => parse(&s).map(Some).map_err(|_| self.corrupt(c)),
        }
    }
}
