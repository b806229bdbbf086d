import { Migration } from '@mikro-orm/migrations';

// Hand-written: city_key ignores accents as well as case from now on ("sao paulo" finds "São
// Paulo"), so the rows already indexed are re-keyed the way the writers now key them
// (document-sql.ts cityKeySql). `unaccent` is a trusted contrib extension: a database owner may
// create it.
export class Migration20261201080000_CityKeyUnaccent extends Migration {

  override name = 'Migration20261201080000_CityKeyUnaccent';

  override up(): void | Promise<void> {
    this.addSql(`create extension if not exists unaccent with schema public;`);
    this.addSql(`update "search"."event_doc" set "city_key" = lower(public.unaccent('public.unaccent'::regdictionary, "city")) where "city_key" <> lower(public.unaccent('public.unaccent'::regdictionary, "city"));`);
  }

}
