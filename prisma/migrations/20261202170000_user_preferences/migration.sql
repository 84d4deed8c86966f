-- Per-user display preferences: language, theme, the terminal's colours and font size.
ALTER TABLE "User" ADD COLUMN "locale" TEXT NOT NULL DEFAULT '';
ALTER TABLE "User" ADD COLUMN "theme" TEXT NOT NULL DEFAULT 'system';
ALTER TABLE "User" ADD COLUMN "terminalTheme" TEXT NOT NULL DEFAULT 'dark';
ALTER TABLE "User" ADD COLUMN "terminalFontSize" INTEGER NOT NULL DEFAULT 14;
