# Message.conversation loses its own index: the unique (conversation, seq) index covers every
# lookup by conversation. Only the index is dropped (what AlterField would do on PostgreSQL is
# drop and re-add the foreign key, which scans the whole table while holding a lock).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('conversations', '0003_conversation_assistant_state_and_more'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='message',
                    name='conversation',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE,
                                            related_name='messages', to='conversations.conversation'),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "conversations_message_conversation_id_f1a2d5e9"',
                    reverse_sql='CREATE INDEX "conversations_message_conversation_id_f1a2d5e9" '
                                'ON "conversations_message" ("conversation_id")',
                ),
            ],
        ),
    ]
