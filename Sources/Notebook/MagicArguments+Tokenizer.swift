import Embeddings

extension MagicArguments {
    /// The tokenizer that `lower=` (default true) and `punct=strip|keep` (default strip) ask
    /// for: the one rule of every magic that reads text (`%load corpus|parallel|labeled`,
    /// `%%corpus`, `%%labeled`).
    var tokenizer: Tokenizer {
        Tokenizer(lowercase: bool("lower") ?? true, stripPunctuation: string("punct") != "keep")
    }
}
