CREATE TABLE "spend_ledger" (
	"run_id" text NOT NULL,
	"step_id" text NOT NULL,
	"user_id" text NOT NULL,
	"workspace" text NOT NULL,
	"usd" double precision NOT NULL,
	"created_ms" bigint NOT NULL,
	CONSTRAINT "spend_ledger_run_id_step_id_pk" PRIMARY KEY("run_id","step_id")
);
--> statement-breakpoint
CREATE INDEX "spend_user_time" ON "spend_ledger" USING btree ("user_id","created_ms");--> statement-breakpoint
CREATE INDEX "spend_workspace_time" ON "spend_ledger" USING btree ("workspace","created_ms");