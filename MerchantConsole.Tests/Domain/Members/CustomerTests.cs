using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Members;

namespace MerchantConsole.Tests.Domain.Members;

public sealed class CustomerTests
{
    private static readonly Guid MerchantId = Guid.NewGuid();
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ACustomerStoresTheNormalisedPhoneAndTrimmedDetails()
    {
        var customer = Customer.Create(MerchantId, "+86 138-0013-8000", "  王小明 ", new DateOnly(1990, 5, 12), " POS-1 ", Now);

        Assert.Equal("13800138000", customer.Phone);
        Assert.Equal("王小明", customer.Name);
        Assert.Equal("POS-1", customer.ExternalRef);
        Assert.Equal(new DateOnly(1990, 5, 12), customer.Birthday);
    }

    [Fact]
    public void ABlankExternalReferenceIsNone()
    {
        Assert.Null(Customer.Create(MerchantId, "13800138000", "Li", null, "   ", Now).ExternalRef);
    }

    [Theory]
    [InlineData("", "Customer.NameRequired")]
    [InlineData("   ", "Customer.NameRequired")]
    public void ANameIsRequired(string name, string code)
    {
        Assert.Equal(code, Assert.Throws<DomainException>(() => Customer.Create(MerchantId, "13800138000", name, null, null, Now)).Refusal.Code);
    }

    [Fact]
    public void ANameIsCountedInCharactersAsPeopleSeeThem()
    {
        var fifty = string.Concat(Enumerable.Repeat("王", Customer.MaxNameLength));
        var emoji = string.Concat(Enumerable.Repeat("👩‍👩‍👧‍👦", 20));

        Assert.Equal(fifty, Customer.Create(MerchantId, "13800138000", fifty, null, null, Now).Name);
        var tooLong = Assert.Throws<DomainException>(() => Customer.Create(MerchantId, "13800138000", fifty + "王", null, null, Now));
        Assert.Equal("Text.TooLong", tooLong.Refusal.Code);
        Assert.Equal("CustomerName", tooLong.Refusal.Arguments["Field"]);
        Assert.Equal("Text.TooLongToStore", Assert.Throws<DomainException>(() => Customer.Create(MerchantId, "13800138000", emoji, null, null, Now)).Refusal.Code);
    }

    [Fact]
    public void AnExternalReferenceHasALimit()
    {
        var refusal = Assert.Throws<DomainException>(() =>
            Customer.Create(MerchantId, "13800138000", "Li", null, new string('R', Customer.MaxExternalRefLength + 1), Now));

        Assert.Equal("Text.TooLong", refusal.Refusal.Code);
        Assert.Equal("ExternalRef", refusal.Refusal.Arguments["Field"]);
    }

    [Theory]
    [InlineData(1899, 12, 31)]
    [InlineData(2026, 11, 29)]
    public void ABirthdayBefore1900OrInTheFutureIsRefused(int year, int month, int day)
    {
        var refusal = Assert.Throws<DomainException>(() =>
            Customer.Create(MerchantId, "13800138000", "Li", new DateOnly(year, month, day), null, Now));

        Assert.Equal("Customer.BirthdayInvalid", refusal.Refusal.Code);
    }

    [Fact]
    public void ABadPhoneIsRefusedBeforeAnythingElse()
    {
        Assert.Equal("Customer.PhoneInvalid", Assert.Throws<DomainException>(() => Customer.Create(MerchantId, "call me", "", null, null, Now)).Refusal.Code);
    }
}
