-- Per-vendor command lists in one task, and devices skipped for want of commands for their vendor.
ALTER TABLE "Task" ADD COLUMN "vendorCommands" TEXT NOT NULL DEFAULT '{}';
ALTER TABLE "Task" ADD COLUMN "skippedDevices" INTEGER NOT NULL DEFAULT 0;
