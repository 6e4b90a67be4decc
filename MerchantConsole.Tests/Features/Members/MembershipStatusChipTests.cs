using Bunit;
using MerchantConsole.Domain.Members;
using MerchantConsole.Features.Members;
using MerchantConsole.Tests.TestSupport;

namespace MerchantConsole.Tests.Features.Members;

public sealed class MembershipStatusChipTests : MudBunitContext
{
    private string ColourOf(MembershipStatus status) =>
        Render<MembershipStatusChip>(p => p.Add(c => c.Status, status)).Find("[data-testid=member-status]").ClassList
            .Single(c => c.StartsWith("mud-chip-color-", StringComparison.Ordinal));

    [Fact]
    public void ACancelledMembershipIsShownInTheErrorColourApartFromActiveAndExpiredOnes()
    {
        var active = ColourOf(MembershipStatus.Active);
        var expired = ColourOf(MembershipStatus.Expired);
        var cancelled = ColourOf(MembershipStatus.Cancelled);

        Assert.Equal("mud-chip-color-success", active);
        Assert.Equal("mud-chip-color-warning", expired);
        Assert.Equal("mud-chip-color-error", cancelled);
    }
}
