using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace VSmenu.Data.Outbox;

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> message)
    {
        message.Property(m => m.Channel).HasMaxLength(200);
        message.Property(m => m.Event).HasMaxLength(200);
        message.Property(m => m.Payload).HasColumnType("jsonb");
        message.Property(m => m.SocketId).HasMaxLength(64);
        message.Property(m => m.TraceParent).HasMaxLength(64);
        // The relay's only question is "what is still pending, oldest first": a partial index answers it at any table size.
        message.HasIndex(m => m.Id).HasFilter("published_at IS NULL").HasDatabaseName("ix_outbox_messages_pending");
        // The relay's repeat after a stall of Redis reads what went out since it, and cleanup what went out before a week ago.
        message.HasIndex(m => m.PublishedAt).HasFilter("published_at IS NOT NULL").HasDatabaseName("ix_outbox_messages_published_at");
    }
}
