"""PostgreSQL for the test suite: the application's own backend, except that emptying the
database between tests is done as the owner.

Tests connect as the owner (who creates and migrates the test database) and then act as the
application's role (`assume_role`, set by conftest.py once the database is ready), so every
test meets the rights the application has in production. That role may not TRUNCATE the audit
trail, which Django's flush between transactional tests does; the flush alone steps back to
the owner.
"""

from django.db.backends.postgresql import base
from psycopg import sql


class DatabaseOperations(base.DatabaseOperations):
    def execute_sql_flush(self, sql_list):
        role = self.connection.settings_dict["OPTIONS"].get("assume_role")
        if not role:
            return super().execute_sql_flush(sql_list)
        with self.connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
        try:
            super().execute_sql_flush(sql_list)
        finally:
            with self.connection.cursor() as cursor:
                cursor.execute(f"SET ROLE {self.quote_name(role)}")


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def _configure_role(self, connection):
        # Django's own writes the statement through this wrapper's connection, which a pool's
        # worker thread (a server started with DATABASE_POOL_SIZE) does not have: it would wait
        # for a connection from the very pool it is filling.
        if role := self.settings_dict["OPTIONS"].get("assume_role"):
            connection.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(role)))
            return True
        return False
