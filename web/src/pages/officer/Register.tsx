import { useState, type ReactNode } from 'react';
import { Button, Card, DatePicker, Form, Input, Select, Space, Tabs, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../api/client';
import type { Booklet, PersonView } from '../../api/types';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { CodeSelect, idNumberRules, PurposeField, PurposeNote, toPurpose, usePurpose } from '../../components/officer';
import { OpForm } from '../../components/OpForm';
import { Page } from '../../components/Page';

const day = (d: Dayjs | undefined) => d?.format('YYYY-MM-DD');
const reasonField = (t: (k: string) => string, required = false) => (
  <Form.Item label={t('form.reason')} name="reason" rules={required ? [{ required: true, message: t('form.reasonRequired') }] : []}>
    <Input.TextArea rows={2} maxLength={500} />
  </Form.Item>
);

/** Step 1 of a household operation: the purpose and the household, loaded with its version (the conflict check). */
function HouseholdTarget({ children }: { children: (b: Booklet, reload: () => void) => ReactNode }) {
  const { t } = useTranslation();
  const { purpose, setPurpose } = usePurpose();
  const [state, setState] = useState<{ booklet: Booklet; number: string; purpose: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  async function load(number: string, p: string) {
    setError(null);
    try {
      setState({ booklet: await get<Booklet>(`/api/v1/households/${encodeURIComponent(number)}`, { purpose: p }), number, purpose: p });
    } catch (e) {
      setError(e);
    }
  }
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Form
        layout="vertical"
        initialValues={{ purpose }}
        onFinish={(v: { purpose: string; number: string }) => {
          setPurpose(v.purpose);
          void load(v.number.trim(), toPurpose(v.purpose));
        }}
      >
        <PurposeField />
        <Form.Item label={t('household.number')} name="number" rules={[{ required: true, message: t('form.householdRequired') }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Button htmlType="submit">{t('register.loadHousehold')}</Button>
      </Form>
      {error ? <ApiErrorAlert error={error} /> : null}
      {state && (
        <Card size="small" title={<h3 className="card-h">{t('register.householdLoaded', { number: state.booklet.householdNumber, head: state.booklet.head?.name ?? '—', version: state.booklet.version })}</h3>}>
          <PurposeNote purpose={state.purpose} />
          <Typography.Paragraph type="secondary">{t('register.versionNote')}</Typography.Paragraph>
          {children(state.booklet, () => void load(state.number, state.purpose))}
        </Card>
      )}
    </Space>
  );
}

function PersonTarget({ children }: { children: (p: PersonView) => ReactNode }) {
  const { t } = useTranslation();
  const { purpose, setPurpose } = usePurpose();
  const [person, setPerson] = useState<PersonView | null>(null);
  const [error, setError] = useState<unknown>(null);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Form
        layout="vertical"
        initialValues={{ purpose }}
        onFinish={async (v: { purpose: string; idNumber: string }) => {
          setPurpose(v.purpose);
          setError(null);
          try {
            setPerson(await get<PersonView>(`/api/v1/persons/${v.idNumber.trim().toUpperCase()}`, { purpose: toPurpose(v.purpose) }));
          } catch (e) {
            setError(e);
          }
        }}
      >
        <PurposeField />
        <Form.Item label={t('person.idNumber')} name="idNumber" rules={idNumberRules(t)}>
          <Input autoComplete="off" maxLength={18} />
        </Form.Item>
        <Button htmlType="submit">{t('register.loadPerson')}</Button>
      </Form>
      {error ? <ApiErrorAlert error={error} /> : null}
      {person && (
        <Card size="small" title={<h3 className="card-h">{t('register.personLoaded', { name: person.person.name, version: person.person.version })}</h3>}>
          {children(person)}
        </Card>
      )}
    </Space>
  );
}

const memberOptions = (b: Booklet) => b.members.map((m) => ({ value: m.idNumber, label: `${m.name} (${m.idNumber})` }));
const h = (b: Booklet, path: string) => `/api/v1/households/${encodeURIComponent(b.householdNumber)}${path}`;

function Birth() {
  const { t } = useTranslation();
  return (
    <HouseholdTarget>
      {(b, reload) => (
        <OpForm
          submitLabel={t('register.birth.submit')}
          initialValues={{ relationship: '20' }}
          submit={async (v: { name: string; sex: string; birthDate: Dayjs; ethnicity: string; relationship: string; reason?: string }, key) => {
            const r = await post<{ person: { idNumber: string; name: string } }>(h(b, '/births'), { expectedVersion: b.version, name: v.name.trim(), sex: v.sex, birthDate: day(v.birthDate), ethnicity: v.ethnicity, relationship: v.relationship, ...(v.reason ? { reason: v.reason } : {}), idempotencyKey: key });
            reload();
            return r;
          }}
          done={(r) => t('register.birth.done', { name: r.person?.name, id: r.person?.idNumber })}
        >
          <Form.Item label={t('register.birth.name')} name="name" rules={[{ required: true, message: t('form.nameRequired') }, { max: 50 }]}>
            <Input />
          </Form.Item>
          <Form.Item label={t('person.sex')} name="sex" rules={[{ required: true, message: t('form.required') }]}>
            <CodeSelect table="sex" />
          </Form.Item>
          <Form.Item label={t('person.birthDate')} name="birthDate" rules={[{ required: true, message: t('form.required') }]}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item label={t('person.ethnicity')} name="ethnicity" rules={[{ required: true, message: t('form.required') }]}>
            <CodeSelect table="ethnicity" />
          </Form.Item>
          <Form.Item label={t('register.relationshipToHead')} name="relationship" rules={[{ required: true, message: t('form.required') }]}>
            <CodeSelect table="relationship" />
          </Form.Item>
          {reasonField(t)}
        </OpForm>
      )}
    </HouseholdTarget>
  );
}

function Move() {
  const { t } = useTranslation();
  return (
    <HouseholdTarget>
      {(b, reload) => (
        <OpForm
          submitLabel={t('register.move.submit')}
          submit={async (v: { idNumber: string; toHouseholdNumber: string; relationship: string; reason?: string }, key) => {
            const r = await post(h(b, `/members/${v.idNumber}/move`), { expectedVersion: b.version, toHouseholdNumber: v.toHouseholdNumber.trim(), relationship: v.relationship, ...(v.reason ? { reason: v.reason } : {}), idempotencyKey: key });
            reload();
            return r;
          }}
        >
          <Form.Item label={t('register.member')} name="idNumber" rules={[{ required: true, message: t('form.required') }]}>
            <Select options={memberOptions(b)} />
          </Form.Item>
          <Form.Item label={t('register.move.to')} name="toHouseholdNumber" rules={[{ required: true, message: t('form.householdRequired') }]}>
            <Input />
          </Form.Item>
          <Form.Item label={t('register.relationshipToNewHead')} name="relationship" rules={[{ required: true, message: t('form.required') }]}>
            <CodeSelect table="relationship" />
          </Form.Item>
          {reasonField(t)}
        </OpForm>
      )}
    </HouseholdTarget>
  );
}

function Transfer() {
  const { t } = useTranslation();
  const categories = ['job_transfer', 'study_admission', 'graduate', 'spouse', 'parents_join_children', 'other'];
  return (
    <OpForm
      submitLabel={t('register.transfer.submit')}
      submit={(v: { idNumber: string; destinationHouseholdNumber: string; relationship: string; category: string; reason?: string }, key) =>
        post<{ id: string; state: string }>('/api/v1/transfers', { idNumber: v.idNumber.trim().toUpperCase(), destinationHouseholdNumber: v.destinationHouseholdNumber.trim(), relationship: v.relationship, category: v.category, ...(v.reason ? { reason: v.reason } : {}), idempotencyKey: key })
      }
      done={(r) => t('register.transfer.done', { id: r.id, state: r.state })}
    >
      <Typography.Paragraph type="secondary">{t('register.transfer.intro')}</Typography.Paragraph>
      <Form.Item label={t('person.idNumber')} name="idNumber" rules={idNumberRules(t)}>
        <Input maxLength={18} />
      </Form.Item>
      <Form.Item label={t('register.transfer.destination')} name="destinationHouseholdNumber" rules={[{ required: true, message: t('form.householdRequired') }]}>
        <Input />
      </Form.Item>
      <Form.Item label={t('register.relationshipToNewHead')} name="relationship" rules={[{ required: true, message: t('form.required') }]}>
        <CodeSelect table="relationship" />
      </Form.Item>
      <Form.Item label={t('register.transfer.category')} name="category" rules={[{ required: true, message: t('form.required') }]}>
        <Select options={categories.map((c) => ({ value: c, label: t(`register.transfer.categories.${c}`) }))} />
      </Form.Item>
      {reasonField(t)}
    </OpForm>
  );
}

function Death() {
  const { t } = useTranslation();
  return (
    <PersonTarget>
      {(p) => (
        <OpForm danger submitLabel={t('register.death.submit')} submit={(v: { deathDate: Dayjs; reason?: string }, key) => post(`/api/v1/persons/${p.person.idNumber}/death`, { expectedVersion: p.person.version, deathDate: day(v.deathDate), ...(v.reason ? { reason: v.reason } : {}), idempotencyKey: key })}>
          <Form.Item label={t('register.death.date')} name="deathDate" rules={[{ required: true, message: t('form.required') }]}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          {reasonField(t)}
        </OpForm>
      )}
    </PersonTarget>
  );
}

function Correction() {
  const { t } = useTranslation();
  return (
    <PersonTarget>
      {(p) => (
        <OpForm
          submitLabel={t('register.correction.submit')}
          initialValues={{ name: p.person.name }}
          submit={(v: { name?: string; ethnicity?: string; birthDate?: Dayjs; occupation?: string; reason: string }, key) => {
            const changes: Record<string, string> = {};
            if (v.name && v.name.trim() !== p.person.name) changes.name = v.name.trim();
            if (v.ethnicity) changes.ethnicity = v.ethnicity;
            if (v.birthDate) changes.birthDate = day(v.birthDate)!;
            if (v.occupation) changes.occupation = v.occupation;
            return post(`/api/v1/persons/${p.person.idNumber}/corrections`, { expectedVersion: p.person.version, changes, reason: v.reason, idempotencyKey: key });
          }}
        >
          <Typography.Paragraph type="secondary">{t('register.correction.intro')}</Typography.Paragraph>
          <Form.Item label={t('register.birth.name')} name="name">
            <Input />
          </Form.Item>
          <Form.Item label={t('person.birthDate')} name="birthDate">
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item label={t('person.ethnicity')} name="ethnicity">
            <CodeSelect table="ethnicity" />
          </Form.Item>
          <Form.Item label={t('person.occupation')} name="occupation">
            <Input />
          </Form.Item>
          {reasonField(t, true)}
        </OpForm>
      )}
    </PersonTarget>
  );
}

function Head() {
  const { t } = useTranslation();
  return (
    <HouseholdTarget>
      {(b, reload) => (
        <OpForm
          submitLabel={t('register.head.submit')}
          submit={async (v: { newHeadIdNumber: string; reason?: string }, key) => {
            const r = await post(h(b, '/head'), { expectedVersion: b.version, newHeadIdNumber: v.newHeadIdNumber, ...(v.reason ? { reason: v.reason } : {}), idempotencyKey: key });
            reload();
            return r;
          }}
        >
          <Form.Item label={t('register.head.newHead')} name="newHeadIdNumber" rules={[{ required: true, message: t('form.required') }]}>
            <Select options={memberOptions(b).filter((o) => o.value !== b.head?.idNumber)} />
          </Form.Item>
          {reasonField(t)}
        </OpForm>
      )}
    </HouseholdTarget>
  );
}

function Split() {
  const { t } = useTranslation();
  return (
    <HouseholdTarget>
      {(b, reload) => (
        <OpForm
          submitLabel={t('register.split.submit')}
          initialValues={{ townshipCode: b.township?.code, address: b.address }}
          submit={async (v: { members: string[]; newHeadIdNumber: string; townshipCode: string; address: string; reason?: string }, key) => {
            const r = await post<{ household?: { householdNumber: string } }>(h(b, '/split'), {
              expectedVersion: b.version,
              members: v.members.map((idNumber) => ({ idNumber })),
              newHeadIdNumber: v.newHeadIdNumber,
              townshipCode: v.townshipCode,
              address: v.address,
              ...(v.reason ? { reason: v.reason } : {}),
              idempotencyKey: key,
            });
            reload();
            return r;
          }}
        >
          <Form.Item label={t('register.split.members')} name="members" rules={[{ required: true, message: t('form.required') }]}>
            <Select mode="multiple" options={memberOptions(b)} />
          </Form.Item>
          <Form.Item label={t('register.head.newHead')} name="newHeadIdNumber" rules={[{ required: true, message: t('form.required') }]}>
            <Select options={memberOptions(b)} />
          </Form.Item>
          <Form.Item label={t('register.split.township')} name="townshipCode" rules={[{ required: true, pattern: /^\d{9}$/, message: t('register.split.townshipRule') }]}>
            <Input maxLength={9} />
          </Form.Item>
          <Form.Item label={t('household.address')} name="address" rules={[{ required: true, message: t('form.required') }]}>
            <Input />
          </Form.Item>
          {reasonField(t)}
        </OpForm>
      )}
    </HouseholdTarget>
  );
}

export default function Register() {
  const { t } = useTranslation();
  const ops: [string, ReactNode][] = [
    ['birth', <Birth />],
    ['move', <Move />],
    ['transfer', <Transfer />],
    ['death', <Death />],
    ['correction', <Correction />],
    ['head', <Head />],
    ['split', <Split />],
  ];
  return (
    <Page title={t('register.title')} intro={t('register.intro')}>
      <Tabs destroyOnHidden items={ops.map(([key, el]) => ({ key, label: t(`register.${key}.tab`), children: el }))} />
    </Page>
  );
}
