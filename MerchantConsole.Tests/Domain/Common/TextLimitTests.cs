using MerchantConsole.Domain.Workflows;
using MerchantConsole.Workflows;
using MerchantConsole.Domain.CardTemplates;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Merchants;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Tests.Domain.CardTemplates;
using MerchantConsole.Tests.Domain.Plans;

namespace MerchantConsole.Tests.Domain.Common;

public sealed class TextLimitTests
{
    // A family: four people joined by zero-width joiners, one text element of eleven UTF-16 units.
    private const string Family = "👨‍👩‍👧‍👦";
    private static readonly string FortyFamilies = string.Concat(Enumerable.Repeat(Family, 40));
    // Dozens of combining marks stacked on one letter.
    private static readonly string Flood = "Z" + string.Concat(Enumerable.Repeat("\u0337\u0322\u031B\u035A\u0301", 8)) + "algo";
    private static readonly DateTimeOffset Now = PlanBuilder.Now;

    [Fact]
    public void FortyEmojiCountAsFortyCharactersWhateverTheirUtf16Length()
    {
        Assert.Equal(440, FortyFamilies.Length);
        Assert.Equal(40, TextLength.Of(FortyFamilies));
        Assert.Equal(40, TextLength.Of(string.Concat(Enumerable.Repeat("会", 40))));
    }

    [Fact]
    public void AFortyEmojiNameIsRefusedOnceItsUtf16LengthPassesTheColumn()
    {
        var plan = new PlanBuilder().Build();

        var tier = Assert.Throws<DomainException>(() => plan.AddTier(FortyFamilies, "#112233", UpgradeRule.None, null, TierValidity.Permanent, null, Now));
        var planName = Assert.Throws<DomainException>(() => plan.UpdateBasics(FortyFamilies, null, Now));
        var merchant = Assert.Throws<DomainException>(() => Merchant.Create(FortyFamilies, "emoji-shop", "Asia/Shanghai", "CNY", Now));

        Assert.All([tier, planName, merchant], e => Assert.Equal("Text.TooLongToStore", e.Refusal.Code));
        Assert.Equal(Tier.NameLimit.MaxUtf16, tier.Refusal.Arguments["Max"]);
        Assert.Equal(440, tier.Refusal.Arguments["Actual"]);
        Assert.Equal("TierName", tier.Refusal.Arguments["Field"]);
    }

    [Fact]
    public void FortyChineseCharactersOrEmojiThatFitTheColumnAreAccepted()
    {
        var plan = new PlanBuilder().Build();

        var chinese = plan.AddTier(string.Concat(Enumerable.Repeat("会", 40)), "#112233", UpgradeRule.None, null, TierValidity.Permanent, null, Now);
        var smiles = plan.AddTier(string.Concat(Enumerable.Repeat("😀", 40)), "#445566", UpgradeRule.None, null, TierValidity.Permanent, null, Now);

        Assert.Equal(40, TextLength.Of(chinese.Name));
        Assert.Equal(80, smiles.Name.Length);
    }

    [Fact]
    public void ANameOverItsLimitInCharactersIsRefusedWithTheCount()
    {
        var refusal = Assert.Throws<DomainException>(() => Merchant.Create(new string('m', Merchant.MaxNameLength + 1), "long-shop", "Asia/Shanghai", "CNY", Now));

        Assert.Equal("Text.TooLong", refusal.Refusal.Code);
        Assert.Equal(Merchant.MaxNameLength, refusal.Refusal.Arguments["Max"]);
        Assert.Equal(Merchant.MaxNameLength + 1, refusal.Refusal.Arguments["Actual"]);
    }

    [Theory]
    [InlineData("Z̷̢̛͚a̸l̵g̶o̷")]
    [InlineData(null)]
    public void ACombiningMarkFloodIsRefused(string? text)
    {
        text ??= Flood;
        var plan = new PlanBuilder().Build();

        var tier = Assert.Throws<DomainException>(() => plan.AddTier(text, "#112233", UpgradeRule.None, null, TierValidity.Permanent, null, Now));
        var merchant = Assert.Throws<DomainException>(() => Merchant.Create(text, "zalgo-shop", "Asia/Shanghai", "CNY", Now));
        var design = DisplayDesignValidator.Validate(Designs.Compliant() with { BrandName = text });

        Assert.Equal("Text.TooManyMarks", tier.Refusal.Code);
        Assert.Equal("Text.TooManyMarks", merchant.Refusal.Code);
        Assert.Equal(DesignErrorKind.TooManyMarks, Assert.Single(design).Kind);
    }

    [Theory]
    [InlineData("Tiê\u0301ng Vie\u0323\u0302t")] // Vietnamese written with combining marks
    [InlineData("हिन्दी")]
    [InlineData("1️⃣ 🇨🇳 👍🏽 🏴󠁧󠁢󠁳󠁣󠁴󠁿")] // keycap, flag, skin tone, tag sequence
    [InlineData("Crème brûlée")]
    public void EverydayAccentsAndEmojiAreNotAFlood(string text) =>
        Assert.True(TextLimit.Of(50).Check(text).Passed, text);

    [Fact]
    public void ACardTemplateNameOfFortyEmojiIsRefusedAsTooLongToStore()
    {
        var errors = DisplayDesignValidator.ValidateName(FortyFamilies);

        var error = Assert.Single(errors);
        Assert.Equal(DesignErrorKind.TooLongToStore, error.Kind);
        Assert.Equal(DisplayDesignValidator.NameLimit.MaxUtf16, error.Max);
    }

    [Fact]
    public void ASupportReasonOverItsLimitIsRefused()
    {
        var run = PlanActivation.Start(new PlanBuilder().Build(), "alice", Now);

        var refusal = Assert.Throws<DomainException>(() => run.RollBack("support-bob", new string('r', WorkflowRunNote.MaxReasonLength + 1), Now));

        Assert.Equal("Text.TooLong", refusal.Refusal.Code);
    }

    [Fact]
    public void ALongErrorIsCutToItsColumnBetweenCharacters()
    {
        var run = PlanActivation.Start(new PlanBuilder().Build(), "alice", Now);
        var step = run.Steps[0];
        run.StartStep(step.Name, Now);

        run.FailStep(step.Name, "x" + string.Concat(Enumerable.Repeat("😀", 3000)), Now, StepRetryPolicy.Default);

        Assert.True(step.LastError!.Length <= WorkflowStep.MaxErrorLength);
        Assert.Equal(WorkflowStep.MaxErrorLength - 1, step.LastError.Length);
        Assert.False(char.IsHighSurrogate(step.LastError[^1]));
    }
}
