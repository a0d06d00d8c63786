// The forms of the screens before login (log in, account request, forgotten password, new password, the
// upload page's login): a shared zod schema, one server call, its French error above the fields. Only what
// the login chunk already holds (react-hook-form, zod, ui/form): it is part of that chunk.
import { useState, type BaseSyntheticEvent, type ComponentProps, type ReactNode } from 'react';
import {
  useForm,
  type DefaultValues,
  type FieldError,
  type FieldErrors,
  type Path,
  type UseFormRegister,
  type UseFormReturn,
} from 'react-hook-form';
import type { z } from 'zod';
import { ErrorSummary, TextField, flattenErrors, schemaResolver, useFormId } from '../../ui/form';
import { userMessage } from '../../ui/errors';

/** Every field of these forms is a text input. */
type Valeurs = Record<string, string>;

export interface Formulaire<V extends Valeurs> {
  formId: string;
  form: UseFormReturn<V>;
  register: UseFormRegister<V>;
  errors: FieldErrors<V>;
  isSubmitting: boolean;
  onSubmit: (e?: BaseSyntheticEvent) => Promise<void>;
  /** Failed submits, so the error summary takes the focus after each. */
  submits: number;
  /** The server call's failure, in French. */
  error: string | null;
}

export function useFormulairePublic<V extends Valeurs>(o: {
  prefix: string;
  schema: z.ZodType;
  defaultValues: DefaultValues<V>;
  envoyer: (v: V) => Promise<void>;
  /** Said when the failure has no message of its own. */
  echec: string;
}): Formulaire<V> {
  const formId = useFormId(o.prefix);
  const [submits, setSubmits] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const form = useForm<V>({
    defaultValues: o.defaultValues,
    resolver: schemaResolver(o.schema, (v) => ({ ...v })),
    shouldFocusError: false,
  });
  const {
    register,
    handleSubmit,
    formState: { errors, isSubmitting },
  } = form;
  const onSubmit = handleSubmit(
    async (v) => {
      setError(null);
      try {
        await o.envoyer(v);
      } catch (e) {
        setError(userMessage(e, o.echec));
      }
    },
    () => setSubmits((n) => n + 1),
  );
  return { formId, form, register, errors, isSubmitting, onSubmit, submits, error };
}

const OBLIGATOIRES = 'Les champs marqués d’un astérisque (*) sont obligatoires.';

/** The form: its title, the error summary, the success or failure of the call, the fields, the button. */
export function FormulairePublic<V extends Valeurs>(p: {
  f: Formulaire<V>;
  titre?: string;
  intro?: ReactNode;
  consigne?: ReactNode;
  succes?: string | null;
  envoi: string;
  /** The button's text while the call runs, when it says so. */
  envoiEnCours?: string;
  /** The button stays disabled (a link without its token). */
  bloque?: boolean;
  children: ReactNode;
  apres?: ReactNode;
}) {
  const { f } = p;
  return (
    <form id={f.formId} onSubmit={f.onSubmit} noValidate>
      {p.titre && <h2 className="fr-h4">{p.titre}</h2>}
      {p.intro}
      <p className="fr-hint-text">{p.consigne ?? OBLIGATOIRES}</p>
      <ErrorSummary formId={f.formId} errors={flattenErrors(f.errors)} focusKey={f.submits} />
      {p.succes && (
        <div className="fr-alert fr-alert--success fr-alert--sm fr-mb-2w" role="status">
          <p>{p.succes}</p>
        </div>
      )}
      {f.error && (
        <div className="fr-alert fr-alert--error fr-alert--sm fr-mb-2w" role="alert">
          <p>{f.error}</p>
        </div>
      )}
      {p.children}
      <button type="submit" className="fr-btn" disabled={f.isSubmitting || p.bloque}>
        {f.isSubmitting && p.envoiEnCours ? p.envoiEnCours : p.envoi}
      </button>
      {p.apres}
    </form>
  );
}

type ChampProps = Omit<ComponentProps<typeof TextField>, 'formId' | 'name' | 'reg' | 'error' | 'required'>;

/** A required field of the form, registered, with its error. */
export function Champ<V extends Valeurs>({
  f,
  name,
  ...p
}: ChampProps & { f: Formulaire<V>; name: Path<V> & keyof V }) {
  // Flat values: each field's error is a FieldError (react-hook-form's generic type cannot tell).
  return (
    <TextField
      {...p}
      formId={f.formId}
      name={name}
      required
      reg={f.register(name)}
      error={(f.errors[name] as FieldError | undefined)?.message}
    />
  );
}
