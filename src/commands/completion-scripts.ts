import { assertNever } from '../runtime/errors.js';
import type { SHELLS } from './complete.js';

/**
 * Completion scripts. Each asks the program itself (`daffeinated __complete WORDS…`, the word being
 * completed last) and, when it answers nothing, falls back to the shell's file names (`--config`,
 * `--out`, plan files). The command is called as typed (`./node_modules/.bin/daffeinated` works).
 */
export function completionScript(shell: (typeof SHELLS)[number]): string {
  switch (shell) {
    case 'bash':
      return `# daffeinated completion for bash. Load it from ~/.bashrc:
#   source <(daffeinated completion bash)
_daffeinated() {
  local IFS=$'\\n'
  COMPREPLY=($("\${COMP_WORDS[0]}" __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -F _daffeinated daffeinated
`;
    case 'zsh':
      return `#compdef daffeinated
# daffeinated completion for zsh. Load it from ~/.zshrc, after compinit:
#   source <(daffeinated completion zsh)
_daffeinated() {
  local -a found
  found=("\${(@f)$("\${words[1]}" __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  if [[ -z "\${found[1]}" ]]; then
    _files
  else
    compadd -- "\${found[@]}"
  fi
}
compdef _daffeinated daffeinated
`;
    case 'fish':
      return `# daffeinated completion for fish. Install it with:
#   daffeinated completion fish > ~/.config/fish/completions/daffeinated.fish
function __daffeinated_complete
    set -l words (commandline -opc)
    set -l current (commandline -ct)
    set -l found ($words[1] __complete $words[2..-1] $current 2>/dev/null)
    if test (count $found) -eq 0
        __fish_complete_path $current
    else
        printf '%s\\n' $found
    end
end
complete -c daffeinated -f -a '(__daffeinated_complete)'
`;
    default:
      return assertNever(shell, 'shell');
  }
}
