using MerchantConsole.Domain.Common;

namespace MerchantConsole.Domain.Plans;

/// <summary>
/// What a Purchase channel sells (会员商品). Orders snapshot the price when placed, so a price change
/// on a live product waits in <see cref="PendingPrice"/> and reaches new orders only once its revision is live.
/// </summary>
public sealed class MembershipProduct : IPlanPart
{
    public const int MaxNameLength = 100;
    public static readonly TextLimit NameLimit = TextLimit.Of(MaxNameLength);

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";
    public long PriceMinorUnits { get; private set; }
    public string Currency { get; private set; } = "";
    public long? PendingPriceMinorUnits { get; private set; }
    public int DurationAmount { get; private set; }
    public DurationUnit DurationUnit { get; private set; }
    /// <summary>Units left to sell; null means unlimited.</summary>
    public int? Stock { get; private set; }
    public int? PerCustomerLimit { get; private set; }
    public RenewalRule RenewalRule { get; private set; }
    public ProductStatus Status { get; private set; }
    public int Revision { get; private set; }

    public Money Price => new(PriceMinorUnits, Currency);
    public Money? PendingPrice => PendingPriceMinorUnits is { } pending ? new Money(pending, Currency) : null;

    private MembershipProduct() { }

    internal static MembershipProduct Create(int revision, string name, Money price, int durationAmount, DurationUnit durationUnit,
        int? stock, int? perCustomerLimit, RenewalRule renewalRule)
    {
        var product = new MembershipProduct { Id = Guid.NewGuid(), Revision = revision, Status = ProductStatus.Draft };
        product.SetTerms(name, durationAmount, durationUnit, renewalRule);
        product.SetPrice(price);
        product.SetLimits(stock, perCustomerLimit);
        return product;
    }

    internal void SetTerms(string name, int durationAmount, DurationUnit durationUnit, RenewalRule renewalRule)
    {
        name = name.Trim();
        if (name.Length == 0)
            throw new DomainException("Product.NameInvalid", "A product name is required and at most {Max} characters.", ("Max", MaxNameLength));
        NameLimit.Enforce(name, "ProductName", "A product name");
        if (durationAmount <= 0)
            throw new DomainException("Product.DurationInvalid", "A membership product must last at least one day, month or year.");
        Name = name;
        DurationAmount = durationAmount;
        DurationUnit = durationUnit;
        RenewalRule = renewalRule;
    }

    // Zero is accepted in a draft (the dry run asks for a positive price); negative never is.
    internal void SetPrice(Money price)
    {
        if (price.MinorUnits < 0)
            throw new DomainException("Product.PriceNegative", "A price cannot be negative ({Price}).", ("Price", price));
        PriceMinorUnits = price.MinorUnits;
        Currency = price.Currency;
    }

    internal void SetPendingPrice(Money price)
    {
        if (price.MinorUnits < 0)
            throw new DomainException("Product.PriceNegative", "A price cannot be negative ({Price}).", ("Price", price));
        if (price.Currency != Currency)
            throw new DomainException("Product.CurrencyLocked", "A live product is sold in {Currency}; its price cannot change to {NewCurrency}.", ("Currency", Currency), ("NewCurrency", price.Currency));
        PendingPriceMinorUnits = price.MinorUnits == PriceMinorUnits ? null : price.MinorUnits;
    }

    internal void SetLimits(int? stock, int? perCustomerLimit)
    {
        if (stock is < 0)
            throw new DomainException("Product.StockNegative", "Stock cannot be negative; leave it empty for unlimited.");
        if (perCustomerLimit is < 1)
            throw new DomainException("Product.PerCustomerLimitInvalid", "A per-customer limit is at least 1; leave it empty for no limit.");
        Stock = stock;
        PerCustomerLimit = perCustomerLimit;
    }

    internal void ClearPendingPrice() => PendingPriceMinorUnits = null;

    internal void ApplyPendingPrice()
    {
        if (PendingPriceMinorUnits is { } pending)
            PriceMinorUnits = pending;
        PendingPriceMinorUnits = null;
    }

    internal void MarkPending()
    {
        if (Status is not (ProductStatus.Draft or ProductStatus.Inactive))
            throw new DomainException("Product.CannotReady", "Product '{Product}' is {Status}; only a Draft or Inactive product can be readied for sale.", ("Product", Name), ("Status", Status));
        Status = ProductStatus.Pending;
    }

    internal void MarkActive()
    {
        if (Status != ProductStatus.Pending)
            throw new DomainException("Product.CannotGoOnSale", "Product '{Product}' is {Status}; only a Pending product can go on sale.", ("Product", Name), ("Status", Status));
        Status = ProductStatus.Active;
    }

    internal void MarkInactive()
    {
        if (Status != ProductStatus.Active)
            throw new DomainException("Product.CannotTakeOffSale", "Product '{Product}' is {Status}; only an Active product can be taken off sale.", ("Product", Name), ("Status", Status));
        Status = ProductStatus.Inactive;
    }

    internal void ReturnToDraft()
    {
        if (Status != ProductStatus.Pending)
            throw new DomainException("Product.CannotReturnToDraft", "Product '{Product}' is {Status}; only a Pending product returns to Draft.", ("Product", Name), ("Status", Status));
        Status = ProductStatus.Draft;
    }
}
