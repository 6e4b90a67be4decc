using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MerchantConsole.Data.Configurations;

internal sealed class SetPasswordLinkConfiguration : IEntityTypeConfiguration<SetPasswordLink>
{
    public void Configure(EntityTypeBuilder<SetPasswordLink> builder)
    {
        builder.Property(l => l.Id).ValueGeneratedNever();
        builder.Property(l => l.UserId).HasMaxLength(450);
        builder.Property(l => l.TokenHash).HasMaxLength(64);
        builder.Property(l => l.CreatedBy).HasMaxLength(256);
        builder.HasIndex(l => l.TokenHash).IsUnique();
        builder.HasIndex(l => l.MerchantId);
        builder.HasOne<StaffUser>().WithMany().HasForeignKey(l => l.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
