-- Cluster mode: which node's runner holds a task, and one notification per user per event.
ALTER TABLE "Notification" ADD COLUMN "eventKey" TEXT;
ALTER TABLE "Task" ADD COLUMN "nodeId" TEXT;
CREATE UNIQUE INDEX "Notification_userId_eventKey_key" ON "Notification"("userId", "eventKey");
