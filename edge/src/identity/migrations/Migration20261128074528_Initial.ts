import { Migration } from '@mikro-orm/migrations';

export class Migration20261128074528_Initial extends Migration {

  override name = 'Migration20261128074528_Initial';

  override up(): void | Promise<void> {
    this.addSql(`create schema if not exists "identity";`);
    this.addSql(`create table "identity"."app_user" ("id" uuid not null, "email" varchar(254) not null, "name" varchar(200) not null, "role" text not null, "created_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`alter table "identity"."app_user" add constraint "app_user_email_unique" unique ("email");`);
    this.addSql(`alter table "identity"."app_user" add constraint "app_user_role_check" check ("role" in ('USER', 'ADMIN'));`);
  }

}
