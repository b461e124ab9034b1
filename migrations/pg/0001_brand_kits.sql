CREATE TABLE "brand_kits" (
	"scope" text PRIMARY KEY NOT NULL,
	"kit" json NOT NULL,
	"updated_at" text DEFAULT to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') NOT NULL
);
