using System.Text.Json;
using MerchantConsole.Domain.CardTemplates;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MerchantConsole.Data.Configurations;

internal sealed class CardTemplateConfiguration : IEntityTypeConfiguration<CardTemplate>
{
    public void Configure(EntityTypeBuilder<CardTemplate> builder)
    {
        builder.Property(t => t.Id).ValueGeneratedNever();
        builder.Property(t => t.Name).HasMaxLength(DisplayDesignValidator.NameLimit.MaxUtf16);
        builder.Property(t => t.UpdatedBy).HasMaxLength(256);
        builder.HasIndex(t => new { t.MerchantId, t.Name });
        builder.HasIndex(t => new { t.MerchantId, t.UpdatedAt });
        builder.HasMany(t => t.Versions).WithOne().HasForeignKey(v => v.CardTemplateId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(t => t.Versions).UsePropertyAccessMode(PropertyAccessMode.Field);
        // Views over Versions, not relationships of their own.
        builder.Ignore(t => t.History);
        builder.Ignore(t => t.CurrentDraft);
        builder.Ignore(t => t.LatestPublished);
    }
}

internal sealed class CardTemplateVersionConfiguration : IEntityTypeConfiguration<CardTemplateVersion>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    public void Configure(EntityTypeBuilder<CardTemplateVersion> builder)
    {
        builder.ToTable("CardTemplateVersions");
        // Set by the domain; never generated, so a version added to a loaded template is inserted, not updated.
        builder.Property(v => v.Id).ValueGeneratedNever();
        builder.HasIndex(v => new { v.CardTemplateId, v.Number }).IsUnique();
        builder.Property(v => v.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(v => v.PublishedBy).HasMaxLength(256);
        // The upload store asks which versions use an image.
        builder.HasIndex(v => v.LogoImageId);
        builder.HasIndex(v => v.BackgroundImageId);
        // One JSON column: the design is a value, read and written whole.
        builder.Property(v => v.Design)
            .HasConversion(
                design => JsonSerializer.Serialize(design, Json),
                json => JsonSerializer.Deserialize<DisplayDesign>(json, Json) ?? new DisplayDesign(),
                new ValueComparer<DisplayDesign>((a, b) => Equals(a, b), d => d.GetHashCode(), d => d));
    }
}

internal sealed class UploadedImageConfiguration : IEntityTypeConfiguration<UploadedImage>
{
    public void Configure(EntityTypeBuilder<UploadedImage> builder)
    {
        builder.Property(i => i.Id).ValueGeneratedNever();
        builder.Property(i => i.ContentType).HasMaxLength(40);
        builder.Property(i => i.FileName).HasMaxLength(UploadedImage.MaxFileNameLength);
        builder.Property(i => i.PublicToken).HasMaxLength(UploadedImage.PublicTokenLength).IsUnicode(false);
        builder.HasIndex(i => i.PublicToken).IsUnique();
        builder.Ignore(i => i.Facts);
    }
}
