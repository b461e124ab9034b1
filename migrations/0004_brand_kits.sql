CREATE TABLE `brand_kits` (
	`scope` text PRIMARY KEY NOT NULL,
	`kit` text NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
