using MerchantConsole.Domain.Plans;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MerchantConsole.Data.Configurations;

// Plan parts are owned by their plan through shadow foreign keys: the domain never exposes them, and they cascade
// because a part has no meaning without its parent. Ids come from the domain, so they are never generated.

internal sealed class MembershipPlanConfiguration : IEntityTypeConfiguration<MembershipPlan>
{
    public void Configure(EntityTypeBuilder<MembershipPlan> builder)
    {
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.Name).HasMaxLength(MembershipPlan.NameLimit.MaxUtf16);
        builder.Property(p => p.Description).HasMaxLength(MembershipPlan.DescriptionLimit.MaxUtf16);
        builder.Property(p => p.Currency).HasMaxLength(3);
        builder.Property(p => p.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(p => p.ValidityPolicy).HasConversion<string>().HasMaxLength(20);
        builder.Property(p => p.RefundPolicy).HasConversion<string>().HasMaxLength(20);
        builder.HasIndex(p => new { p.MerchantId, p.Status });
        builder.HasIndex(p => new { p.MerchantId, p.Name });

        builder.HasMany(p => p.Tiers).WithOne().HasForeignKey("PlanId").IsRequired().OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(p => p.Tiers).UsePropertyAccessMode(PropertyAccessMode.Field);

        builder.Ignore(p => p.Channels);
        builder.Ignore(p => p.Products);
        builder.Ignore(p => p.CardTemplateVersionToActivate);
        builder.Ignore(p => p.HasGoneLive);
        builder.Ignore(p => p.HasPendingRevision);
        builder.Ignore(p => p.ActivationInFlight);
    }
}

internal sealed class TierConfiguration : IEntityTypeConfiguration<Tier>
{
    public void Configure(EntityTypeBuilder<Tier> builder)
    {
        builder.ToTable("PlanTiers");
        builder.Property(t => t.Id).ValueGeneratedNever();
        builder.Property(t => t.Name).HasMaxLength(Tier.NameLimit.MaxUtf16);
        builder.Property(t => t.Colour).HasMaxLength(7);
        builder.Property(t => t.UpgradeRule).HasConversion<string>().HasMaxLength(20);
        builder.Property(t => t.Validity).HasConversion<string>().HasMaxLength(20);
        builder.HasIndex("PlanId", nameof(Tier.Rank));

        builder.HasMany(t => t.JoinChannels).WithOne().HasForeignKey("TierId").IsRequired().OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(t => t.JoinChannels).UsePropertyAccessMode(PropertyAccessMode.Field);

        builder.Ignore(t => t.UsesThreshold);
    }
}

internal sealed class JoinChannelConfiguration : IEntityTypeConfiguration<JoinChannel>
{
    public void Configure(EntityTypeBuilder<JoinChannel> builder)
    {
        builder.ToTable("PlanJoinChannels");
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.Type).HasConversion<string>().HasMaxLength(20);
        builder.Property(c => c.InviteCode).HasMaxLength(32);
        builder.Property(c => c.StoreCode).HasMaxLength(JoinChannel.StoreCodeLimit.MaxUtf16);
        // The dry run looks up codes claimed by the merchant's other plans.
        builder.HasIndex(c => c.InviteCode);
        builder.HasIndex(c => c.StoreCode);

        builder.HasOne(c => c.Product).WithOne().HasForeignKey<MembershipProduct>("JoinChannelId").IsRequired().OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MembershipProductConfiguration : IEntityTypeConfiguration<MembershipProduct>
{
    public void Configure(EntityTypeBuilder<MembershipProduct> builder)
    {
        builder.ToTable("MembershipProducts");
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.Name).HasMaxLength(MembershipProduct.NameLimit.MaxUtf16);
        builder.Property(p => p.Currency).HasMaxLength(3);
        builder.Property(p => p.DurationUnit).HasConversion<string>().HasMaxLength(20);
        builder.Property(p => p.RenewalRule).HasConversion<string>().HasMaxLength(20);
        builder.Property(p => p.Status).HasConversion<string>().HasMaxLength(20);
        builder.HasIndex(p => p.Status);

        builder.Ignore(p => p.Price);
        builder.Ignore(p => p.PendingPrice);
    }
}
