-- AlterTable
ALTER TABLE "Device" ADD COLUMN "secretsRoute" TEXT;

