CREATE TABLE `spend_ledger` (
	`run_id` text NOT NULL,
	`step_id` text NOT NULL,
	`user_id` text NOT NULL,
	`workspace` text NOT NULL,
	`usd` real NOT NULL,
	`created_ms` integer NOT NULL,
	PRIMARY KEY(`run_id`, `step_id`)
);
--> statement-breakpoint
CREATE INDEX `spend_user_time` ON `spend_ledger` (`user_id`,`created_ms`);--> statement-breakpoint
CREATE INDEX `spend_workspace_time` ON `spend_ledger` (`workspace`,`created_ms`);