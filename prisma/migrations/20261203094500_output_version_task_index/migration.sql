-- A task page and a template page look up a run's versions by task.
CREATE INDEX "OutputVersion_taskId_idx" ON "OutputVersion"("taskId");
