ALTER TABLE `bot_messages` ADD `rev` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `error_code` text;--> statement-breakpoint
CREATE INDEX `threads_run` ON `threads` (`run_id`);