namespace VSmenu.Api.Infrastructure;

/// <summary>Every message the API sends to people, in pt-BR and English, with Laravel's wording where Laravel has one.</summary>
public static class ApiText
{
    public static readonly LocalizedText ValidationFailed = new("Os dados informados são inválidos.", "The given data was invalid.");
    public static readonly LocalizedText Required = new("O campo {0} é obrigatório.", "The {0} field is required.");
    public static readonly LocalizedText RequiredWhen = new("O campo {0} é obrigatório quando {1} é {2}.", "The {0} field is required when {1} is {2}.");
    public static readonly LocalizedText ProhibitedWhen = new("O campo {0} não é permitido quando {1} é {2}.", "The {0} field is prohibited when {1} is {2}.");
    public static readonly LocalizedText MaxLength = new("O campo {0} não pode ter mais de {1} caracteres.", "The {0} field must not be greater than {1} characters.");
    public static readonly LocalizedText MinLength = new("O campo {0} deve ter pelo menos {1} caracteres.", "The {0} field must be at least {1} characters.");
    public static readonly LocalizedText Between = new("O campo {0} deve estar entre {1} e {2}.", "The {0} field must be between {1} and {2}.");
    public static readonly LocalizedText DecimalPlaces = new("O campo {0} deve ter no máximo {1} casas decimais.", "The {0} field must have at most {1} decimal places.");
    public static readonly LocalizedText Email = new("O campo {0} deve ser um endereço de e-mail válido.", "The {0} field must be a valid email address.");
    public static readonly LocalizedText OneOf = new("O campo {0} deve ser um dos seguintes valores: {1}.", "The {0} field must be one of: {1}.");
    public static readonly LocalizedText InvalidFormat = new("O formato do campo {0} é inválido.", "The {0} field format is invalid.");
    public static readonly LocalizedText Exists = new("O {0} selecionado é inválido.", "The selected {0} is invalid.");
    public static readonly LocalizedText Unique = new("O valor informado para o campo {0} já está em uso.", "The {0} has already been taken.");
    public static readonly LocalizedText AfterNow = new("O campo {0} deve ser uma data posterior a agora.", "The {0} field must be a date after now.");
    public static readonly LocalizedText MaxItems = new("O campo {0} não pode ter mais de {1} itens.", "The {0} field must not have more than {1} items.");
    public static readonly LocalizedText RepeatedProperty = new(
        "A propriedade {0} aparece mais de uma vez no mesmo objeto JSON (maiúsculas e minúsculas não distinguem nomes).",
        "The property {0} appears more than once in one JSON object (names are compared ignoring case).");
    public static readonly LocalizedText OrderTooLarge = new("O total do pedido não pode passar de {0:0.00}.", "The order total must not exceed {0:0.00}.");
    public static readonly LocalizedText OutOfRange = new("Um valor informado está fora do intervalo que pode ser guardado.", "A given value is outside the range that can be stored.");
    public static readonly LocalizedText OrderNeedsItems = new("O pedido deve conter pelo menos um item.", "The order must contain at least one item.");
    public static readonly LocalizedText StalePrice = new("O preço de {0} mudou para {1:0.00}; atualize o cardápio.", "The price of {0} changed to {1:0.00}; refresh the menu.");
    public static readonly LocalizedText ProductUnavailable = new("O produto {0} não está disponível na quantidade pedida.", "The product {0} is not available in the quantity ordered.");
    public static readonly LocalizedText BadCredentials = new("Estas credenciais não correspondem aos nossos registros.", "These credentials do not match our records.");

    public static readonly LocalizedText NotFound = new("Recurso não encontrado.", "Resource not found.");
    public static readonly LocalizedText Unauthenticated = new("Não autenticado.", "Unauthenticated.");
    public static readonly LocalizedText Forbidden = new("Esta ação não é autorizada.", "This action is unauthorized.");
    public static readonly LocalizedText IllegalTransition = new("Um pedido {0} não pode passar de {1} para {2}.", "A {0} order cannot move from {1} to {2}.");
    public static readonly LocalizedText TransitionForbidden = new("O papel {0} não pode mudar um pedido de {1} para {2}.", "The {0} role cannot move an order from {1} to {2}.");
    public static readonly LocalizedText OrderNotDeletable = new("Só pedidos pendentes ou cancelados podem ser excluídos; este está {0}.", "Only pending or cancelled orders can be deleted; this one is {0}.");
    public static readonly LocalizedText ItemsLocked = new("Os itens só podem mudar enquanto o pedido está pendente; este está {0}.", "Items can change only while the order is pending; this one is {0}.");
    public static readonly LocalizedText InvoiceNotReady = new("A nota deste pedido ainda não foi gerada: ela é emitida quando o pedido é concluído.", "This order's invoice has not been generated yet: it is issued when the order completes.");
    public static readonly LocalizedText InUse = new("O recurso está em uso por outros registros e não pode ser excluído.", "The resource is referenced by other records and cannot be deleted.");
    public static readonly LocalizedText ConcurrentChange = new("O recurso foi alterado por outra requisição; tente novamente.", "The resource was changed by another request; try again.");
    public static readonly LocalizedText Duplicate = new("Já existe um registro com estes dados.", "A record with these values already exists.");
    public static readonly LocalizedText CannotDeleteSelf = new("Você não pode excluir o seu próprio usuário.", "You cannot delete your own user.");

    public static readonly LocalizedText MalformedJson = new("O corpo da requisição não é um JSON válido ou tem um tipo errado em {0}.", "The request body is not valid JSON or has a wrong type at {0}.");
    public static readonly LocalizedText BadRequest = new("Requisição inválida: {0}", "Bad request: {0}");
    public static readonly LocalizedText MethodNotAllowed = new("Método HTTP não permitido para este recurso.", "The HTTP method is not allowed for this resource.");
    public static readonly LocalizedText UnsupportedMediaType = new("Tipo de conteúdo não suportado; envie application/json.", "Unsupported content type; send application/json.");
    public static readonly LocalizedText BodyTooLarge = new("O corpo da requisição é grande demais.", "The request body is too large.");
    public static readonly LocalizedText UnknownQueryValue = new("O parâmetro {0} não aceita {1}. Valores permitidos: {2}.", "The {0} parameter does not accept {1}. Allowed: {2}.");
    public static readonly LocalizedText UnknownQueryParameter = new("O parâmetro {0} não é suportado. Parâmetros permitidos: {1}.", "The {0} parameter is not supported. Allowed: {1}.");
    public static readonly LocalizedText InvalidQueryValue = new("O parâmetro {0} tem um valor inválido: {1}.", "The {0} parameter has an invalid value: {1}.");
    public static readonly LocalizedText QueryRange = new("O parâmetro {0} deve ser um inteiro entre {1} e {2}.", "The {0} parameter must be an integer between {1} and {2}.");
    public static readonly LocalizedText TooManyRequests = new("Muitas requisições. Tente novamente em {0} segundos.", "Too many requests. Try again in {0} seconds.");
    public static readonly LocalizedText DependencyDown = new("Serviço temporariamente indisponível; tente novamente em instantes.", "Service temporarily unavailable; try again shortly.");
    public static readonly LocalizedText IdempotencyKeyInvalid = new("O cabeçalho Idempotency-Key deve ter de 1 a {0} caracteres visíveis.", "The Idempotency-Key header must be 1 to {0} visible characters.");
    public static readonly LocalizedText IdempotencyKeyInFlight = new("Uma requisição com esta Idempotency-Key ainda está em andamento; tente novamente.", "A request with this Idempotency-Key is still in progress; retry shortly.");
    public static readonly LocalizedText IdempotencyKeyReused = new("Esta Idempotency-Key já foi usada com outra requisição.", "This Idempotency-Key was already used with a different request.");
    public static readonly LocalizedText MutationOutOfOrder = new("O campo {0} deve ser {1}: as mutações de um envio seguem uma à outra.", "The {0} field must be {1}: the mutations of a push follow one another.");
    public static readonly LocalizedText MutationGap = new("Falta a mutação {0} deste terminal; reenvie a partir dela.", "This terminal's mutation {0} is missing; push again from it.");
    public static readonly LocalizedText SyncResetRequired = new("O cursor é antigo demais ou desconhecido; sincronize de novo desde o início.", "The cursor is too old or unknown; sync again from the start.");
    public static readonly LocalizedText ServerError = new("Erro interno do servidor.", "Internal server error.");
}
