-- Tip attachments in the content-addressed blob store, PostgreSQL. Never edit after release.
-- New attachments keep their bytes on disk (`<blob dir>/sha256/…`, registered in `blobs` in the
-- same transaction, after the blob was fsynced): `in_blob_store` is 1 and `content` is empty.
-- Attachments stored before this migration keep their bytes in `content` and are served from it.
-- `name` is what the tipster called the file: display metadata, never a path.
ALTER TABLE intake_attachments ADD COLUMN name TEXT;
--;;
ALTER TABLE intake_attachments ADD COLUMN in_blob_store BIGINT NOT NULL DEFAULT 0;
