-- The facts a notification was made from, so the UI can word it in the reader's language.
ALTER TABLE "Notification" ADD COLUMN "params" TEXT NOT NULL DEFAULT '{}';
